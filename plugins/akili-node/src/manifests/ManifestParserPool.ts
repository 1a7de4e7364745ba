import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  MAX_MANIFEST_BYTES,
  ParseManifestOptions,
  ParseManifestResult,
  parseManifest,
} from '@akili/plugin-akili-common';

/**
 * Parses and validates manifest texts (Akili, ODPS, ODCS; YAML or JSON) away from the event
 * loop, with the answer of `parseManifest` from `@akili/plugin-akili-common`.
 *
 * @public
 */
export interface ManifestParserService {
  /**
   * The answer of `parseManifest(text, options)`, computed in a worker thread. A document that
   * takes longer than the time limit, or more memory than the worker may use, is stopped and
   * answered as invalid: one problem at `$` saying so (the validate route turns it into a 400).
   *
   * @throws ServiceUnavailableError when too many documents wait already, or the pool is closed.
   */
  parse(
    text: string,
    options?: ParseManifestOptions,
  ): Promise<ParseManifestResult>;
}

/**
 * Options of {@link ManifestParserPool}.
 *
 * @public
 */
export interface ManifestParserPoolOptions {
  /** Worker threads; default: one less than the cores, at least 1 and at most 2. */
  workers?: number;
  /** Time one document may take in a worker before the worker is stopped; default 10 s. */
  timeLimitMs?: number;
  /** Documents that may wait for a worker before `parse` refuses more; default 64. */
  maxQueue?: number;
  /** Heap of a worker, in MiB; default 512. */
  maxMemoryMb?: number;
  /**
   * Texts up to this many characters are parsed right away on the calling thread: a few
   * milliseconds at most (parsing is linear), less than handing them to a worker; default
   * 16384. 0 sends every text to a worker.
   */
  inlineMaxLength?: number;
  /** Time a worker may take to load the parser; default 60 s. */
  startTimeLimitMs?: number;
  logger?: LoggerService;
  /**
   * The module the workers load, exporting `parseManifest`; default `@akili/plugin-akili-common`.
   * For tests.
   */
  parserModule?: string;
}

/*
 * The code a worker runs. It loads the parser by absolute path (resolved here, where module
 * resolution knows the package): the built JavaScript in production; in development and in
 * Jest the TypeScript source, through Backstage's TypeScript loader. `backstage-cli package
 * start` passes that loader to workers already (`--require` in execArgv); Jest transforms only
 * inside its own module system, so the worker registers it itself.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (/\\.[cm]?tsx?$/.test(workerData.parser) && !require.extensions['.ts']) {
  require(require.resolve('@backstage/cli/config/nodeTransform.cjs', {
    paths: [workerData.parser],
  }));
}
const { parseManifest } = require(workerData.parser);
// Compiles the schemas of every format now, so a time limit measures documents only.
for (const kind of ['apiVersion: akili.io/v1alpha1', 'kind: DataProduct', 'kind: DataContract']) {
  parseManifest(kind);
}
parentPort.on('message', ({ id, text, options }) => {
  let answer;
  try {
    answer = { id, result: parseManifest(text, options) };
  } catch (error) {
    answer = { id, error: String((error && error.stack) || error) };
  }
  parentPort.postMessage(answer);
});
parentPort.postMessage({ ready: true });
`;

interface Task {
  id: number;
  text: string;
  options?: ParseManifestOptions;
  resolve(result: ParseManifestResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  task?: Task;
  timer?: NodeJS.Timeout;
}

type WorkerAnswer =
  | { ready: true }
  | { id: number; result: ParseManifestResult }
  | { id: number; error: string };

function stopped(message: string): ParseManifestResult {
  return {
    valid: false,
    kind: 'unknown',
    manifests: [],
    errors: [{ path: '$', message }],
  };
}

/**
 * A small pool of worker threads running `parseManifest`, so that reading a large manifest
 * never holds up the event loop, and a document that takes too long or too much memory stops
 * its worker rather than the backend. Workers start on first use and are replaced when
 * stopped; idle workers do not keep the process alive.
 *
 * @public
 */
export class ManifestParserPool implements ManifestParserService {
  private readonly size: number;
  private readonly timeLimitMs: number;
  private readonly startTimeLimitMs: number;
  private readonly maxQueue: number;
  private readonly maxMemoryMb: number;
  private readonly inlineMaxLength: number;
  private readonly parserModule: string;
  private readonly logger?: LoggerService;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ManifestParserPoolOptions = {}) {
    this.size =
      options.workers ??
      Math.min(2, Math.max(1, os.availableParallelism() - 1));
    this.timeLimitMs = options.timeLimitMs ?? 10_000;
    this.startTimeLimitMs = options.startTimeLimitMs ?? 60_000;
    this.maxQueue = options.maxQueue ?? 64;
    this.maxMemoryMb = options.maxMemoryMb ?? 512;
    this.inlineMaxLength = options.inlineMaxLength ?? 16 * 1024;
    this.logger = options.logger;
    this.parserModule = path.resolve(
      options.parserModule ?? require.resolve('@akili/plugin-akili-common'),
    );
  }

  /**
   * Starts the workers now rather than on first use, so the first documents do not wait for a
   * worker to load the parser.
   */
  warmUp(): void {
    while (!this.closed && this.slots.length < this.size) {
      this.start();
    }
  }

  parse(
    text: string,
    options?: ParseManifestOptions,
  ): Promise<ParseManifestResult> {
    if (this.closed) {
      return Promise.reject(
        new ServiceUnavailableError('The manifest parser is shut down'),
      );
    }
    // Small texts, and those longer than the size cap (refused before any parsing: a UTF-16
    // code unit is at least one byte), are answered right away.
    if (
      typeof text !== 'string' ||
      text.length <= this.inlineMaxLength ||
      text.length > (options?.maxBytes ?? MAX_MANIFEST_BYTES)
    ) {
      return Promise.resolve().then(() => parseManifest(text, options));
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new ServiceUnavailableError(
          `Too many manifests are waiting to be read (${this.maxQueue}); try again shortly`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, options, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; documents still waiting or being read are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const refused = () =>
      new ServiceUnavailableError('The manifest parser is shut down');
    for (const task of this.queue.splice(0)) {
      task.reject(refused());
    }
    await Promise.all(
      [...this.slots].map(slot => {
        const task = slot.task;
        this.remove(slot);
        task?.reject(refused());
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch() {
    while (this.queue.length > 0) {
      const slot = this.slots.find(s => s.state === 'idle');
      if (!slot) {
        const starting = this.slots.filter(s => s.state === 'starting').length;
        if (this.slots.length < this.size && starting < this.queue.length) {
          this.start();
          continue;
        }
        return;
      }
      this.run(slot, this.queue.shift()!);
    }
  }

  private start() {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { parser: this.parserModule },
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
    });
    // An idle worker does not keep the process alive; a task's timer does while it runs.
    worker.unref();
    const slot: Slot = { worker, state: 'starting' };
    this.slots.push(slot);
    slot.timer = setTimeout(() => {
      this.logger?.error('Manifest parser worker did not start', {
        timeLimitMs: this.startTimeLimitMs,
      });
      this.failStart(slot, new Error('The manifest parser did not start'));
    }, this.startTimeLimitMs);

    worker.on('message', (answer: WorkerAnswer) => {
      if ('ready' in answer) {
        clearTimeout(slot.timer);
        slot.state = 'idle';
        this.dispatch();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== answer.id) {
        return;
      }
      clearTimeout(slot.timer);
      slot.task = undefined;
      slot.state = 'idle';
      if ('result' in answer) {
        task.resolve(answer.result);
      } else {
        task.reject(new Error(`The manifest parser failed: ${answer.error}`));
      }
      this.dispatch();
    });
    worker.on('error', error => this.onWorkerError(slot, error as Error));
    worker.on('exit', code => {
      if (slot.state !== 'gone') {
        this.onWorkerError(
          slot,
          new Error(`The manifest parser worker exited with code ${code}`),
        );
      }
    });
  }

  private run(slot: Slot, task: Task) {
    slot.state = 'busy';
    slot.task = task;
    slot.worker.postMessage({
      id: task.id,
      text: task.text,
      options: task.options,
    });
    slot.timer = setTimeout(() => {
      this.logger?.warn('Manifest parse stopped at its time limit', {
        timeLimitMs: this.timeLimitMs,
        characters: typeof task.text === 'string' ? task.text.length : 0,
      });
      this.remove(slot);
      void slot.worker.terminate();
      task.resolve(
        stopped(
          `reading the document took longer than ${
            this.timeLimitMs / 1000
          } s and was stopped`,
        ),
      );
      this.dispatch();
    }, this.timeLimitMs);
  }

  private onWorkerError(slot: Slot, error: Error & { code?: string }) {
    if (slot.state === 'gone') {
      return;
    }
    if (slot.state === 'starting') {
      this.logger?.error('Manifest parser worker did not start', error);
      this.failStart(slot, error);
      return;
    }
    const task = slot.task;
    this.remove(slot);
    void slot.worker.terminate();
    if (task) {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.logger?.warn('Manifest parse stopped at its memory limit', {
          maxMemoryMb: this.maxMemoryMb,
          characters: task.text.length,
        });
        task.resolve(
          stopped(
            `reading the document needed more than ${this.maxMemoryMb} MiB of memory and was stopped`,
          ),
        );
      } else {
        this.logger?.error('Manifest parser worker failed', error);
        task.reject(new Error(`The manifest parser failed: ${error.message}`));
      }
    }
    this.dispatch();
  }

  /** A worker that cannot load the parser: the documents waiting for it get the error. */
  private failStart(slot: Slot, error: Error) {
    this.remove(slot);
    void slot.worker.terminate();
    if (this.slots.length === 0) {
      for (const task of this.queue.splice(0)) {
        task.reject(
          new ServiceUnavailableError(
            `The manifest parser is unavailable: ${error.message}`,
          ),
        );
      }
    }
  }

  private remove(slot: Slot) {
    clearTimeout(slot.timer);
    slot.state = 'gone';
    const index = this.slots.indexOf(slot);
    if (index >= 0) {
      this.slots.splice(index, 1);
    }
  }
}
