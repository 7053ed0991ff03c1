/** The scenario simulator: scenario files, the runner on the time-skipping server, and its report. */
export { InvalidScenarioError, parseScenario, type Scenario, type ScenarioCommand } from './scenario';
export {
  runScenario,
  type RunScenarioOptions,
  ScenarioInThePastError,
  scenarioPolicy,
  type SimulationEntry,
  type SimulationReport,
} from './run-scenario';
export { formatSimulationEntry, formatSimulationReport } from './format-report';
export { type CapturedEmail, type RefusedDelivery, SimulatedMailer } from './simulated-mailer';
export { DEFAULT_TIME_OF_DAY, ukLocalToEpochMs, ukWallClock } from './uk-time';
