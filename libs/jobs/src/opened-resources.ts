// What a composition root opened, in the order it opened it: closing goes the other way, each
// resource after everything that was opened on top of it, and one failure does not keep the rest
// open. The one place a process's connections are closed.
export class OpenedResources {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];

  constructor(private readonly onError: (name: string, error: unknown) => void = () => undefined) {}

  /** Records a resource just opened; returns it. */
  add<Resource>(name: string, resource: Resource, close: (resource: Resource) => Promise<void>) {
    this.closers.push({ name, close: () => close(resource) });
    return resource;
  }

  /** Closes everything in reverse order of opening; safe to call twice. */
  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse())
      await close().catch((error: unknown) => this.onError(name, error));
  }
}
