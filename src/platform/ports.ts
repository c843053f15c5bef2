import net from 'node:net';

/**
 * A loopback port that was free a moment ago, for a service whose address must be known before it
 * starts (a gateway's, written in the registry). Picked below the kernel's ephemeral range
 * (32768–60999 on Linux), where port-0 listeners and outgoing connections take theirs, so that
 * another process is unlikely to take it in between.
 */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free loopback port found between 20000 and 32000');
}
