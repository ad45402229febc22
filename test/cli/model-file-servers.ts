/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import { tmpdir } from './support';

// Servers on 127.0.0.1 for the model-file tests of `pin`: a Node HTTP(S) server with routes, and a raw TCP server that writes
// exactly the bytes it is given (for framing a Node server refuses to send: close-delimited, truncated, longer than the
// Content-Length).

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** `METHOD path authorization` of every request received. */
  readonly seen: string[];
  stop(): Promise<void>;
}

/** An HTTP server (HTTPS with `tls`) that answers each path from `routes`, 404 otherwise. */
export async function startFileServer(routes: Record<string, Route>, tls?: { key: Buffer; cert: Buffer }): Promise<TestServer> {
  const seen: string[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.on('error', () => undefined); // the client hangs up on refused bodies
    const url = new URL(req.url!, 'http://x');
    seen.push(`${req.method} ${url.pathname} ${req.headers.authorization ?? 'anonymous'}`);
    const route = routes[url.pathname];
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('no such file');
    }
    return route(req, res);
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A route that sends a file with its Content-Length. */
export function file(body: Buffer | string, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
}

/** A route that streams a body in chunks, without a Content-Length (chunked encoding). */
export function chunked(body: Buffer): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    for (let at = 0; at < body.length; at += 16 * 1024) {
      res.write(body.subarray(at, at + 16 * 1024));
    }
    res.end();
  };
}

/** A route that redirects. */
export function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { Location: location });
    res.end();
  };
}

/** A TCP server on 127.0.0.1 that answers every request on `path` with these raw bytes and closes the connection. */
export async function startRawServer(answers: Record<string, string | Buffer>): Promise<TestServer> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (data) => {
      const requestPath = data.toString('latin1').split(' ')[1] ?? '';
      seen.push(`GET ${requestPath}`);
      socket.end(answers[requestPath] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    stop: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    },
  };
}

/** What `sha256sum` prints for a file, as `sha256:<hex>` (the reference the digests are compared with). */
export function sha256sumOf(filePath: string): string {
  return `sha256:${execFileSync('sha256sum', [filePath], { encoding: 'utf-8' }).split(' ')[0]}`;
}

/** Writes files (path → content) below a new temp directory and returns it. */
export function modelDirectory(files: Record<string, string | Buffer>): string {
  const dir = tmpdir();
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  }
  return dir;
}
