/** The procedure policy as BPMN 2.0: valid by bpmn-moddle, one task per step, flows from what each counts from. */
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../config/policy-loader';
import { parseProcedurePolicy } from '../../domain/policy';
import { policyBpmn } from '../../web/procedure/policy-bpmn';

const policy = loadPolicy('pan-bedfordshire');

type Element = ModdleElement & { name?: string; sourceRef?: ModdleElement; targetRef?: ModdleElement };

async function read(xml: string) {
  const { rootElement, warnings } = await new BpmnModdle().fromXML(xml);
  const roots = rootElement.rootElements as ModdleElement[];
  const process = roots.find((r) => r.$type === 'bpmn:Process') as ModdleElement;
  const elements = process.flowElements as Element[];
  const lanes = ((process.laneSets as ModdleElement[])[0].lanes as ModdleElement[]).map((l) => ({
    name: l.name as string,
    members: (l.flowNodeRef as ModdleElement[]).map((n) => n.id),
  }));
  const plane = ((rootElement.diagrams as ModdleElement[])[0].plane as ModdleElement).planeElement as ModdleElement[];
  const drawn = new Set(plane.map((d) => (d.bpmnElement as ModdleElement).id));
  return { warnings, elements, lanes, drawn };
}

describe('the procedure as BPMN 2.0', () => {
  it('is valid BPMN with a task per step, each named with its deadline, in its track’s lane, all drawn', async () => {
    const { warnings, elements, lanes, drawn } = await read(await policyBpmn(policy));
    expect(warnings).toEqual([]);
    const tasks = elements.filter((e) => e.$type === 'bpmn:UserTask');
    expect(tasks.map((t) => t.id)).toEqual(policy.steps.map((s) => `Task_${s.id.replace(/-/g, '_')}`));
    expect(tasks.find((t) => t.id === 'Task_icpc')?.name).toBe('Initial Child Protection Conference — 15 working days');
    expect(lanes.map((l) => l.name)).toEqual(['Child protection', 'LADO', 'Police and forensic wait']);
    expect(lanes[1].members).toContain('Task_lado_acknowledgement');
    expect(lanes[2].members).toContain('Task_police_update');
    for (const e of elements) expect(drawn.has(e.id)).toBe(true);
  });

  it('connects each step to what it counts from: the step that records it, or a start event', async () => {
    const { elements } = await read(await policyBpmn(policy));
    const flows = elements
      .filter((e) => e.$type === 'bpmn:SequenceFlow')
      .map((f) => `${f.sourceRef?.id} → ${f.targetRef?.id}`);
    expect(flows).toContain('Task_s47_enquiry → Task_icpc');
    expect(flows).toContain('Task_partner_interview → Task_alleged_perpetrator_interview');
    expect(flows).toContain('Start_referral_received → Task_referral_decision');
    expect(flows).toContain('Start_devices_seized → Task_police_update');
    expect(flows).toHaveLength(policy.steps.length);
  });

  it('follows the policy: another authority’s timescale is another diagram', async () => {
    const raw = JSON.parse(JSON.stringify(policy)) as { steps: { id: string; offset: Record<string, number> }[] };
    raw.steps.find((s) => s.id === 'icpc')!.offset = { workingDays: 10 };
    const local = parseProcedurePolicy(raw, 'test');
    const { elements } = await read(await policyBpmn(local));
    expect(elements.find((e) => e.id === 'Task_icpc')?.name).toBe(
      'Initial Child Protection Conference — 10 working days',
    );
  });
});
