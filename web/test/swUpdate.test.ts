import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  SKIP_WAITING,
  watchForUpdate,
  type ContainerLike,
  type RegistrationLike,
  type WorkerLike,
} from '../src/lib/swUpdate';

class FakeWorker implements WorkerLike {
  state = 'installing';
  messages: unknown[] = [];
  private l: (() => void)[] = [];
  postMessage(m: unknown) {
    this.messages.push(m);
  }
  addEventListener(_t: 'statechange', f: () => void) {
    this.l.push(f);
  }
  to(state: string) {
    this.state = state;
    for (const f of this.l) f();
  }
}

class FakeReg implements RegistrationLike {
  waiting: WorkerLike | null = null;
  installing: WorkerLike | null = null;
  private l: (() => void)[] = [];
  addEventListener(_t: 'updatefound', f: () => void) {
    this.l.push(f);
  }
  found(w: FakeWorker) {
    this.installing = w;
    for (const f of this.l) f();
  }
}

class FakeContainer implements ContainerLike {
  controller: unknown | null;
  private l: (() => void)[] = [];
  constructor(controller: unknown | null) {
    this.controller = controller;
  }
  addEventListener(_t: 'controllerchange', f: () => void) {
    this.l.push(f);
  }
  change() {
    for (const f of this.l) f();
  }
}

describe('service worker update prompt', () => {
  it('a new build installed while a worker controls the page is offered', () => {
    const c = new FakeContainer({});
    const reg = new FakeReg();
    const seen: WorkerLike[] = [];
    watchForUpdate(c, reg, (w) => seen.push(w));
    const w = new FakeWorker();
    reg.found(w);
    expect(seen).toEqual([]);
    w.to('installed');
    expect(seen).toEqual([w]);
  });

  it('the first install (no controller) is not offered: it activates by itself', () => {
    const c = new FakeContainer(null);
    const reg = new FakeReg();
    const seen: WorkerLike[] = [];
    watchForUpdate(c, reg, (w) => seen.push(w));
    const w = new FakeWorker();
    reg.found(w);
    w.to('installed');
    w.to('activated');
    expect(seen).toEqual([]);
  });

  it('a worker already waiting when the page loads is offered at once', () => {
    const c = new FakeContainer({});
    const reg = new FakeReg();
    const w = new FakeWorker();
    w.state = 'installed';
    reg.waiting = w;
    const seen: WorkerLike[] = [];
    watchForUpdate(c, reg, (x) => seen.push(x));
    expect(seen).toEqual([w]);
  });

  it('an update that fails to install (redundant) is not offered', () => {
    const c = new FakeContainer({});
    const reg = new FakeReg();
    const seen: WorkerLike[] = [];
    watchForUpdate(c, reg, (w) => seen.push(w));
    const w = new FakeWorker();
    reg.found(w);
    w.to('redundant');
    expect(seen).toEqual([]);
  });

  it('reload: tells the waiting worker to skip waiting, reloads once when it takes control', () => {
    const c = new FakeContainer({});
    const w = new FakeWorker();
    let reloads = 0;
    applyUpdate(c, w, () => reloads++);
    expect(w.messages).toEqual([SKIP_WAITING]);
    expect(reloads).toBe(0);
    c.change();
    c.change();
    expect(reloads).toBe(1);
  });
});
