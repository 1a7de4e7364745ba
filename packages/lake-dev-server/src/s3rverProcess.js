/*
 * Runs s3rver in a process of its own, started by LakeDevServer with `--openssl-legacy-provider`:
 * s3rver 3.7.1 encrypts continuation tokens with DES, which OpenSSL 3 only has in its legacy
 * provider (without it a paged listing answers InternalError). Options come as JSON in argv[2];
 * it reports `{ type: 'ready', port }` over IPC and stops when its parent goes away.
 */
const S3rver = require('s3rver');

const options = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: options.host,
  port: options.port,
  directory: options.directory,
  silent: !options.verbose,
  vhostBuckets: false,
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close().finally(() => process.exit(0));
}

server.run().then(
  address => process.send({ type: 'ready', port: address.port }),
  error => {
    process.send({ type: 'error', message: String(error && error.message) });
    process.exit(1);
  },
);
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
