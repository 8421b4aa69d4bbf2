import type { FunctionName, RuleSpec } from '@imgpipe/pipeline';
import { matchesPattern } from './pattern';

/** Where matched events go: a function's durable asynchronous queue. */
export type EventTarget = (fn: FunctionName, event: unknown) => void;

/**
 * The local event bus: matches each event against the pipeline's rules (the same patterns infra
 * deploys) and hands it to every target of every matching rule, once per target.
 */
export class EventRouter {
  constructor(
    private readonly rules: readonly RuleSpec[],
    private readonly deliver: EventTarget,
  ) {}

  /** Routes one event; returns the functions it was delivered to (durably, when this returns). */
  publish(event: unknown): FunctionName[] {
    const targets = new Set<FunctionName>();
    for (const rule of this.rules) {
      if (matchesPattern(rule.pattern, event)) for (const target of rule.targets) targets.add(target);
    }
    for (const target of targets) this.deliver(target, event);
    return [...targets];
  }
}
