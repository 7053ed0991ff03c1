export { ProvisioningError } from './errors';
export {
  provisionServer,
  provisionTemporalServers,
  type ProvisionedServer,
  type ProvisionOptions,
  type TemporalServerKind,
} from './provision';
export { toolsDir } from './tools-dir';
export { TEMPORAL_CLI_VERSION, TEMPORAL_TEST_SERVER_VERSION } from './versions';
