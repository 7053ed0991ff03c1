/**
 * The authority's procedure policy as a BPMN 2.0 diagram, for process owners who use BPMN tools: one pool with a
 * lane per track (child protection, LADO, police and forensic wait), a task per step named with its deadline
 * ("Initial Child Protection Conference — 15 working days"), a sequence flow from whatever each step counts
 * from, and a start event for each thing that starts a deadline without being a step (the referral, devices
 * seized, a young person alleged…). Built with `bpmn-moddle`, so what it writes is BPMN by construction, with
 * the diagram interchange (positions) that lets `bpmn-js` and other tools draw it.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { describeOffset, type ProcedurePolicy, type ProcedureStep } from '../../domain/policy';
import { sentenceOf } from '../forms/event-form';

const LANES = [
  { track: 'child-protection', name: 'Child protection' },
  { track: 'lado', name: 'LADO' },
  { track: 'forensic', name: 'Police and forensic wait' },
] as const;

const TASK = { width: 150, height: 80 };
const EVENT = 36;
const COLUMN = 200;
const ROW = 110;
const POOL_X = 40;
const LANE_LABEL = 30;
const FIRST_X = POOL_X + LANE_LABEL + 40;

interface Node {
  readonly id: string;
  readonly kind: 'start' | 'task';
  readonly name: string;
  readonly lane: (typeof LANES)[number]['track'];
  readonly documentation?: string;
  column: number;
  row?: number;
}

const xmlId = (prefix: string, id: string) => `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** The step that produces an anchor, if one does: the first one-off step completed by that event. */
function producerOf(policy: ProcedurePolicy, anchor: string): ProcedureStep | undefined {
  if (anchor === 'section-47-initiated')
    return policy.steps.find((s) => s.completedOnlyWhen === 'section-47-initiated');
  return policy.steps.find((s) => s.repeat === undefined && s.completedBy === anchor);
}

/** The BPMN 2.0 XML of `policy`. */
export async function policyBpmn(policy: ProcedurePolicy): Promise<string> {
  const nodes = new Map<string, Node>();
  const flows: { id: string; from: string; to: string }[] = [];
  for (const step of policy.steps) {
    const every = step.repeat === undefined ? '' : `, then every ${describeOffset(step.repeat.every)}`;
    nodes.set(xmlId('Task', step.id), {
      id: xmlId('Task', step.id),
      kind: 'task',
      name: `${step.title} — ${describeOffset(step.offset)}${every}`,
      lane: step.track,
      documentation: step.rule,
      column: 0,
    });
  }
  for (const step of policy.steps) {
    const producer = producerOf(policy, step.countsFrom);
    let from: string;
    if (producer !== undefined && producer.id !== step.id) from = xmlId('Task', producer.id);
    else {
      from = xmlId('Start', step.countsFrom);
      if (!nodes.has(from)) {
        nodes.set(from, { id: from, kind: 'start', name: sentenceOf(step.countsFrom), lane: step.track, column: 0 });
      }
    }
    flows.push({ id: xmlId('Flow', `${step.countsFrom}__${step.id}`), from, to: xmlId('Task', step.id) });
  }
  layOut(nodes, flows);

  const moddle = new BpmnModdle();
  const elements = new Map<string, unknown>();
  for (const node of nodes.values()) {
    const element = moddle.create(node.kind === 'start' ? 'bpmn:StartEvent' : 'bpmn:UserTask', {
      id: node.id,
      name: node.name,
      ...(node.documentation === undefined
        ? {}
        : { documentation: [moddle.create('bpmn:Documentation', { text: node.documentation })] }),
    });
    elements.set(node.id, element);
  }
  const sequenceFlows = flows.map((f) =>
    moddle.create('bpmn:SequenceFlow', { id: f.id, sourceRef: elements.get(f.from), targetRef: elements.get(f.to) }),
  );
  for (const [flow, f] of sequenceFlows.map((s, i) => [s, flows[i]] as const)) {
    (elements.get(f.from) as { outgoing?: unknown[] }).outgoing = [
      ...((elements.get(f.from) as { outgoing?: unknown[] }).outgoing ?? []),
      flow,
    ];
    (elements.get(f.to) as { incoming?: unknown[] }).incoming = [
      ...((elements.get(f.to) as { incoming?: unknown[] }).incoming ?? []),
      flow,
    ];
  }
  const usedLanes = LANES.filter((lane) => [...nodes.values()].some((n) => n.lane === lane.track));
  const lanes = usedLanes.map((lane) =>
    moddle.create('bpmn:Lane', {
      id: xmlId('Lane', lane.track),
      name: lane.name,
      flowNodeRef: [...nodes.values()].filter((n) => n.lane === lane.track).map((n) => elements.get(n.id)),
    }),
  );
  const processId = xmlId('Process', policy.id);
  const process = moddle.create('bpmn:Process', {
    id: processId,
    name: policy.title,
    isExecutable: false,
    laneSets: [moddle.create('bpmn:LaneSet', { id: `${processId}_lanes`, lanes })],
    flowElements: [...elements.values(), ...sequenceFlows],
  });
  const participant = moddle.create('bpmn:Participant', {
    id: xmlId('Participant', policy.id),
    name: `${policy.title} (version ${policy.version})`,
    processRef: process,
  });
  const collaboration = moddle.create('bpmn:Collaboration', { id: 'Collaboration_1', participants: [participant] });

  // Diagram interchange: where everything is drawn.
  const laneHeights = usedLanes.map((lane) => {
    const rows = [...nodes.values()].filter((n) => n.lane === lane.track).map((n) => n.row ?? 0);
    return (Math.max(0, ...rows) + 1) * ROW + 20;
  });
  const columns = Math.max(...[...nodes.values()].map((n) => n.column)) + 1;
  const poolWidth = LANE_LABEL + 80 + columns * COLUMN;
  const laneTop = (i: number) => 40 + laneHeights.slice(0, i).reduce((a, b) => a + b, 0);
  const bounds = (x: number, y: number, width: number, height: number) =>
    moddle.create('dc:Bounds', { x: Math.round(x), y: Math.round(y), width, height });
  const centre = new Map<string, { x: number; y: number; w: number }>();
  const shapes: unknown[] = [
    moddle.create('bpmndi:BPMNShape', {
      id: `${participant.id}_di`,
      bpmnElement: participant,
      isHorizontal: true,
      bounds: bounds(
        POOL_X,
        40,
        poolWidth,
        laneHeights.reduce((a, b) => a + b, 0),
      ),
    }),
  ];
  usedLanes.forEach((lane, i) => {
    shapes.push(
      moddle.create('bpmndi:BPMNShape', {
        id: `${xmlId('Lane', lane.track)}_di`,
        bpmnElement: lanes[i],
        isHorizontal: true,
        bounds: bounds(POOL_X + LANE_LABEL, laneTop(i), poolWidth - LANE_LABEL, laneHeights[i]),
      }),
    );
  });
  for (const node of nodes.values()) {
    const laneIndex = usedLanes.findIndex((l) => l.track === node.lane);
    const cx = FIRST_X + node.column * COLUMN + TASK.width / 2;
    const cy = laneTop(laneIndex) + 20 + (node.row ?? 0) * ROW + TASK.height / 2;
    const [w, h] = node.kind === 'task' ? [TASK.width, TASK.height] : [EVENT, EVENT];
    centre.set(node.id, { x: cx, y: cy, w });
    shapes.push(
      moddle.create('bpmndi:BPMNShape', {
        id: `${node.id}_di`,
        bpmnElement: elements.get(node.id),
        bounds: bounds(cx - w / 2, cy - h / 2, w, h),
      }),
    );
  }
  const edges = flows.map((f, i) => {
    const a = centre.get(f.from) ?? { x: 0, y: 0, w: 0 };
    const b = centre.get(f.to) ?? { x: 0, y: 0, w: 0 };
    const start = { x: a.x + a.w / 2, y: a.y };
    const end = { x: b.x - b.w / 2, y: b.y };
    const middle = (start.x + end.x) / 2;
    const points = start.y === end.y ? [start, end] : [start, { x: middle, y: start.y }, { x: middle, y: end.y }, end];
    return moddle.create('bpmndi:BPMNEdge', {
      id: `${f.id}_di`,
      bpmnElement: sequenceFlows[i],
      waypoint: points.map((p) => moddle.create('dc:Point', { x: Math.round(p.x), y: Math.round(p.y) })),
    });
  });
  const diagram = moddle.create('bpmndi:BPMNDiagram', {
    id: 'Diagram_1',
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: 'Plane_1',
      bpmnElement: collaboration,
      planeElement: [...shapes, ...edges],
    }),
  });
  const definitions = moddle.create('bpmn:Definitions', {
    id: xmlId('Definitions', policy.id),
    targetNamespace: 'https://cpflow.example/procedure',
    exporter: 'cpflow',
    rootElements: [collaboration, process],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

/** Columns by the longest path from a start; rows in each lane and column in order of appearance. */
function layOut(nodes: Map<string, Node>, flows: readonly { from: string; to: string }[]): void {
  for (let pass = 0; pass < nodes.size; pass += 1) {
    let moved = false;
    for (const f of flows) {
      const from = nodes.get(f.from);
      const to = nodes.get(f.to);
      if (from !== undefined && to !== undefined && to.column < from.column + 1) {
        to.column = from.column + 1;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const taken = new Map<string, number>();
  for (const node of nodes.values()) {
    const key = `${node.lane}:${node.column}`;
    node.row = taken.get(key) ?? 0;
    taken.set(key, node.row + 1);
  }
}
