import { Changes } from '../../../proxy/test/support/changes.js';
import { FakeKubeApi as ServedFakeKubeApi, type ResourceType } from '../../src/testing/fake-kube-api.js';

export * from '../../src/testing/fake-kube-api.js';

/** The package's fake API server, which a test can also await: `when` a condition on its requests and watches holds. */
export class FakeKubeApi extends ServedFakeKubeApi {
  readonly #changes = new Changes();

  constructor(types?: readonly ResourceType[]) {
    super(types);
    this.onChange(() => this.#changes.notify());
  }

  when(condition: () => boolean): Promise<void> {
    return this.#changes.when(condition);
  }
}
