// Peer for the transport fan-out benchmark: a Node `ws` broadcast server on loopback.
// Relays every received message to every open client (the sender included), nothing else.
// Usage: node ws-server.mjs [port=0] [port-file]
import { writeFileSync } from 'node:fs';
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const portFile = process.argv[3];
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
  socket.on('error', () => {});
});

wss.on('listening', () => {
  const actual = wss.address().port;
  if (portFile) writeFileSync(portFile, String(actual));
  console.log(`ws ${process.versions.node} broadcast server on port ${actual}`);
});
