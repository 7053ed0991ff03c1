/** The floor workflows' module, bundled for the benchmarks' worker process. */
export { floorWorkflow } from './floor-workflow';
