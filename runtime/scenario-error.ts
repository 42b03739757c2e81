// A step that cannot be run as written (an unknown mm or file, a name used twice, a second userfaultfd in one mm):
// the scenario's fault, not the spec's. The runner reports it as a 'scenario' failure.
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}
