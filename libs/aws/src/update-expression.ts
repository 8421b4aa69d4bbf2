/** Builds an UpdateItem's expression and names/values without string juggling at each call site. */
export class UpdateBuilder {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  /** `#name` for an attribute (every attribute goes through names: several are reserved words). */
  name(attribute: string): string {
    const alias = `#${attribute}`;
    this.names[alias] = attribute;
    return alias;
  }

  value(id: string, value: unknown): string {
    const alias = `:${id}`;
    this.values[alias] = value;
    return alias;
  }

  /** SET attribute = value; an undefined value REMOVEs it instead (the row describes one version). */
  set(attribute: string, value: unknown): this {
    if (value === undefined) return this.remove(attribute);
    this.sets.push(`${this.name(attribute)} = ${this.value(`v_${attribute}`, value)}`);
    return this;
  }

  remove(...attributes: string[]): this {
    for (const attribute of attributes) this.removes.push(this.name(attribute));
    return this;
  }

  expression(): string {
    const parts: string[] = [];
    if (this.sets.length > 0) parts.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length > 0) parts.push(`REMOVE ${this.removes.join(', ')}`);
    return parts.join(' ');
  }
}
