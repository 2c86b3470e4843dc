// Core events for the UI (and for the core's own listeners, such as the schedule).
import type { EventName, EventPayload } from '../shared/contract'

export type EventListener = (event: EventName, payload: unknown) => void

export class EventHub {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  /** The cached inventory changed (sync, an action, a setting): the one reload signal. */
  inventoryChanged(reason: string): void {
    this.emit('inventory.changed', { reason })
  }

  /** Listens to inventory.changed only, with its reason; returns the unsubscribe function. */
  onInventoryChanged(listener: (reason: string) => void): () => void {
    return this.on((event, payload) => {
      if (event === 'inventory.changed') listener((payload as EventPayload<'inventory.changed'>).reason)
    })
  }

  /** Returns the unsubscribe function. */
  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  clear(): void {
    this.listeners.clear()
  }
}

/** The narrow part most features need. */
export type InventoryEvents = Pick<EventHub, 'inventoryChanged'>
