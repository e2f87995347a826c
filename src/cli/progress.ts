import cliProgress from 'cli-progress';

/** A progress reporter for multi-step jobs: one bar per step on a terminal, one line per step otherwise. */
export function progressReporter(): { update(step: string, done: number, total: number): void; stop(): void } {
  const tty = process.stderr.isTTY;
  let bar: cliProgress.SingleBar | null = null;
  let current = '';
  return {
    update(step, done, total) {
      if (step !== current) {
        bar?.stop();
        current = step;
        if (tty) {
          bar = new cliProgress.SingleBar({ format: `  ${step.padEnd(22)} [{bar}] {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
          bar.start(total, 0);
        } else {
          bar = null;
          process.stderr.write(`  ${step}: ${total}\n`);
        }
      }
      bar?.update(done);
    },
    stop() { bar?.stop(); },
  };
}
