/**
 * The part of `bpmn-moddle`'s API cpflow uses (the package ships its model's types, not the class's, where this
 * project's module resolution can see them).
 */
declare module 'bpmn-moddle' {
  /** An element of a BPMN model. */
  export interface ModdleElement {
    readonly $type: string;
    id?: string;
    [property: string]: unknown;
  }

  /** Reads, creates and writes BPMN 2.0 models. */
  export class BpmnModdle {
    /** A new element of `type` (e.g. `bpmn:Task`) with the given properties. */
    create(type: string, properties?: Record<string, unknown>): ModdleElement;
    /** The XML of a model. */
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
    /** A model from its XML, with what did not fit the BPMN schema as warnings. */
    fromXML(xml: string): Promise<{ rootElement: ModdleElement; warnings: readonly { readonly message: string }[] }>;
  }
}
