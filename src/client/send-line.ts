/**
 * Requests waiting their turn to be sent, oldest first. Each keeps the place it first
 * took, so one put back (the server turned it away) goes before those that came later.
 */
export class SendLine<T extends object> {
  private readonly items: T[] = [];
  private readonly members = new Set<T>();
  private readonly places = new WeakMap<T, number>();
  private nextPlace = 0;

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    if (this.members.has(item)) return;
    let place = this.places.get(item);
    if (place === undefined) {
      place = this.nextPlace++;
      this.places.set(item, place);
    }
    // From the back: a new item goes last at once.
    let index = this.items.length;
    while (index > 0 && (this.places.get(this.items[index - 1] as T) ?? 0) > place)
      index--;
    this.items.splice(index, 0, item);
    this.members.add(item);
  }

  /** The oldest item, taken out of the line. */
  shift(): T | undefined {
    const item = this.items.shift();
    if (item !== undefined) this.members.delete(item);
    return item;
  }

  delete(item: T): void {
    if (!this.members.delete(item)) return;
    this.items.splice(this.items.indexOf(item), 1);
  }

  clear(): void {
    this.items.length = 0;
    this.members.clear();
  }
}
