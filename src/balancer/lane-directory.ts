import type { z } from 'zod';
import { InvalidRequestError, NotFoundError } from '../core/errors.js';
import {
  isPayloadExecutor,
  type PayloadExecutor,
  type PayloadJobKind,
  type Provider,
} from '../providers/provider.js';
import type { Router } from '../router/router.js';
import type { LaneExecutor } from './dispatcher.js';
import { ExecutorLane } from './executor-lane.js';
import type { InstancePool } from './instance-pool.js';
import { parseLaneName } from './lane-name.js';
import { ModelLane } from './model-lane.js';

/**
 * What runs each lane: the executors behind an executor name (a provider type such as
 * `automatic1111`, or one instance), or the router for a model. Lanes are made on first use
 * and kept, so their slots and routes are shared by every job of the lane.
 */
export class LaneDirectory {
  private readonly lanes = new Map<string, LaneExecutor | undefined>();
  private readonly executors: PayloadExecutor[];

  constructor(
    providers: readonly Provider[],
    private readonly router: Router,
    private readonly pool: InstancePool,
  ) {
    this.executors = providers.filter(isPayloadExecutor);
  }

  lane(name: string): LaneExecutor | undefined {
    if (!this.lanes.has(name)) this.lanes.set(name, this.create(name));
    return this.lanes.get(name);
  }

  /** Executor names a job may ask for: the types, then the instances. */
  executorNames(): string[] {
    const types = new Set(this.executors.map((executor) => executor.type));
    return [...types, ...this.executors.map((executor) => executor.id)];
  }

  /** The executors an executor name stands for; a 404 naming the known ones otherwise. */
  executorsFor(name: string): PayloadExecutor[] {
    const instance = this.executors.filter((executor) => executor.id === name);
    const group =
      instance.length > 0 ? instance : this.executors.filter((e) => e.type === name);
    if (group.length === 0) {
      const known = this.executorNames();
      throw new NotFoundError(
        `executor: no executor "${name}" is configured${known.length === 0 ? '' : `; configured: ${known.join(', ')}`}`,
        { param: 'executor' },
      );
    }
    return group;
  }

  /** The payload schema for a job kind on an executor; a 400 naming the kinds it runs. */
  payloadSchema(name: string, kind: PayloadJobKind): z.ZodType {
    const [executor] = this.executorsFor(name);
    const schema = executor?.payloadSchemas[kind];
    if (executor === undefined || schema === undefined) {
      const kinds = Object.keys(executor?.payloadSchemas ?? {}).join(', ');
      throw new InvalidRequestError(
        `kind: executor "${name}" runs ${kinds}, not ${kind}`,
        {
          param: 'kind',
        },
      );
    }
    return schema;
  }

  private create(name: string): LaneExecutor | undefined {
    const parsed = parseLaneName(name);
    if (parsed === undefined) return undefined;
    if (parsed.type === 'model')
      return new ModelLane(parsed.kind, parsed.model, this.router, this.pool);
    try {
      return new ExecutorLane(this.executorsFor(parsed.executor), this.pool);
    } catch {
      // A lane whose executors were removed from the configuration: its jobs fail.
      return undefined;
    }
  }
}
