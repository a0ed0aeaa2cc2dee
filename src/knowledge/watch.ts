import fs from 'node:fs';

export interface WatchOptions {
  dir: string;
  /** Quiet time after the last change before reloading: an editor saves in several steps. */
  debounceMs: number;
  reload: () => Promise<void>;
  /** A watch that cannot run (folder gone, too many watches): said once, the bot goes on. */
  onError: (e: Error) => void;
}

/** Reloads the knowledge base when a topic file in the folder changes, once things are quiet. */
export function watchKnowledgeDir(o: WatchOptions): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let watcher: fs.FSWatcher | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // One reload at a time: a change during a reload gets a reload of its own after it.
      running = running.then(o.reload, o.reload);
    }, o.debounceMs);
    timer.unref();
  };
  try {
    watcher = fs.watch(o.dir, { persistent: false }, (_event, name) => {
      // Temp files of editors and of durable writes come and go: only topic files count.
      if (name === null || (name.endsWith('.md') && !name.startsWith('.'))) schedule();
    });
    watcher.on('error', (e) => o.onError(e));
  } catch (e) {
    o.onError(e as Error);
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
