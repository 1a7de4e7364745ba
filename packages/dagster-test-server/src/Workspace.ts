import { TestJob, TestLocation, TestRepository } from './model';

/** The repository name Dagster gives a `Definitions` object (`SINGLETON_REPOSITORY_NAME`). */
export const DEFAULT_REPOSITORY = '__repository__';

/** A location with its defaults filled in. */
export interface LocationEntry {
  name: string;
  repositories: Array<Required<Pick<TestRepository, 'name'>> & TestRepository>;
  loadError?: string;
  /** Epoch seconds of the last add (Dagster's `updatedTimestamp`). */
  updatedTimestamp: number;
}

/** How Dagster names the op of an asset: its key as a Python identifier. */
export function assetStepKey(assetKey: string[]): string {
  return assetKey.map(part => part.replace(/[^A-Za-z0-9_]/g, '_')).join('__');
}

/** The step keys of a job (see {@link TestJob.ops}). */
export function stepsOfJob(job: TestJob): string[] {
  if (job.ops?.length) return job.ops;
  const steps = [
    ...(job.assetKeys ?? []).map(assetStepKey),
    ...Object.keys(job.configSchema?.ops ?? {}),
  ];
  return steps.length ? [...new Set(steps)] : [job.name];
}

/** The code locations the server reports, in the order they were added. */
export class Workspace {
  private readonly locations = new Map<string, LocationEntry>();

  add(location: TestLocation): LocationEntry {
    const repositories = (
      location.repositories ?? [{ name: DEFAULT_REPOSITORY, jobs: [] }]
    ).map(repository => ({
      ...repository,
      name: repository.name ?? DEFAULT_REPOSITORY,
      jobs: repository.jobs.map(job => ({ ...job })),
    }));
    const entry: LocationEntry = {
      name: location.name,
      repositories,
      loadError: location.loadError,
      updatedTimestamp: Date.now() / 1000,
    };
    this.locations.delete(location.name);
    this.locations.set(location.name, entry);
    return entry;
  }

  list(): LocationEntry[] {
    return [...this.locations.values()];
  }

  /** Locations that loaded, the only ones whose repositories Dagster serves. */
  loaded(): LocationEntry[] {
    return this.list().filter(location => !location.loadError);
  }

  repository(locationName: string, repositoryName: string) {
    const location = this.locations.get(locationName);
    if (!location || location.loadError) return undefined;
    const repository = location.repositories.find(
      repo => repo.name === repositoryName,
    );
    return repository ? { location, repository } : undefined;
  }

  /** The first loaded location and repository that define a job of this name. */
  originOfJob(
    jobName: string,
  ): { repositoryLocationName: string; repositoryName: string } | undefined {
    for (const location of this.loaded()) {
      for (const repository of location.repositories) {
        if (repository.jobs.some(job => job.name === jobName)) {
          return {
            repositoryLocationName: location.name,
            repositoryName: repository.name,
          };
        }
      }
    }
    return undefined;
  }

  job(
    locationName: string,
    repositoryName: string,
    jobName: string,
  ): TestJob | undefined {
    return this.repository(locationName, repositoryName)?.repository.jobs.find(
      job => job.name === jobName,
    );
  }
}
