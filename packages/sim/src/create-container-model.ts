import type { ContainerModel, ContainerModelSpec } from './container-model.js';
import { IoBoundContainer } from './io-bound-container.js';
import { ProcessorSharing } from './processor-sharing.js';
import { SequentialWorkers } from './sequential-workers.js';

export function createContainerModel(spec: ContainerModelSpec): ContainerModel {
  switch (spec.kind) {
    case 'sequential':
      return new SequentialWorkers(spec.capacity);
    case 'shared':
      return new ProcessorSharing(spec.capacity);
    case 'io':
      return new IoBoundContainer();
  }
}
