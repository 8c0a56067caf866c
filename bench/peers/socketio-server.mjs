// Peer for the transport fan-out benchmark: a Socket.IO room server on loopback.
// Every client joins one room; each received "msg" event is emitted to the whole room (the
// sender included). WebSocket transport only, no compression.
// Usage: node socketio-server.mjs [port=0] [port-file]
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const portFile = process.argv[3];
const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.join('bench');
  socket.on('msg', (data) => {
    io.to('bench').emit('msg', data);
  });
});

http.listen(port, '127.0.0.1', () => {
  const actual = http.address().port;
  if (portFile) writeFileSync(portFile, String(actual));
  console.log(`socket.io room server on port ${actual}`);
});
