import { Annotations, type IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkTerraform, type PolicyOptions } from './checks';
import type { TerraformJson } from './terraform-json';

/**
 * Fails synthesis when the stack breaks a policy (see `checkTerraform`): each violation becomes
 * an error annotation, which makes `app.synth()` and `cdktf synth` stop and print it.
 * @example Aspects.of(stack).add(new PolicyChecks({ architecture: 'arm64' }))
 */
export class PolicyChecks implements IAspect {
  constructor(private readonly options: PolicyOptions) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const tf = node.toTerraform() as TerraformJson;
    for (const violation of checkTerraform(tf, this.options)) {
      Annotations.of(node).addError(`[${violation.code}] ${violation.path}: ${violation.message}`);
    }
  }
}
