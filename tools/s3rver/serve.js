'use strict';
// Starts s3rver (a local S3-compatible server) for VodConsole's tests: node serve.js PORT DIRECTORY BUCKET
// Listens on 127.0.0.1 only, creates BUCKET, and prints "ready" once it accepts requests.
//
// s3rver 3.7.1 does not implement two multipart calls the console relies on: AbortMultipartUpload (a failed or cancelled
// upload must leave nothing) and ListMultipartUploads (the sweep of uploads abandoned by a dead instance). Both are added
// here, over s3rver's own on-disk layout of unfinished uploads (BUCKET/._S3rver_uploads/UPLOAD_ID/{key,1,2,...}), so the
// storage tests exercise the real calls instead of skipping them. And CopyObject: the AWS SDK sends x-amz-copy-source
// with its slashes percent-encoded, which s3rver's decodeURI leaves encoded (then "bucket does not exist").
const fs = require('fs');
const path = require('path');
const S3rver = require('s3rver');

const [port, directory, bucket] = process.argv.slice(2);
if (!port || !directory || !bucket) {
  console.error('usage: node serve.js PORT DIRECTORY BUCKET');
  process.exit(2);
}

const uploadsOf = name => path.join(directory, name, '._S3rver_uploads');
const xml = text => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function multipartExtensions(ctx, next) {
  if (ctx.headers['x-amz-copy-source']) {
    ctx.headers['x-amz-copy-source'] = decodeURIComponent(ctx.headers['x-amz-copy-source']);
  }
  const [, name, ...rest] = ctx.path.split('/');
  if (ctx.method === 'DELETE' && rest.length > 0 && 'uploadId' in ctx.query) {
    const upload = path.join(uploadsOf(name), path.basename(String(ctx.query.uploadId)));
    if (!fs.existsSync(upload)) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    fs.rmSync(upload, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'GET' && rest.filter(Boolean).length === 0 && 'uploads' in ctx.query) {
    const prefix = String(ctx.query.prefix || '');
    const root = uploadsOf(name);
    const uploads = (fs.existsSync(root) ? fs.readdirSync(root) : [])
      .map(id => ({ id, dir: path.join(root, id) }))
      .filter(u => fs.existsSync(path.join(u.dir, 'key')))
      .map(u => ({ id: u.id, key: fs.readFileSync(path.join(u.dir, 'key'), 'utf8'), initiated: fs.statSync(path.join(u.dir, 'key')).mtime }))
      .filter(u => u.key.startsWith(prefix));
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>'
      + `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xml(name)}</Bucket>`
      + `<Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>`
      + uploads.map(u => `<Upload><Key>${xml(u.key)}</Key><UploadId>${xml(u.id)}</UploadId>`
        + `<Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`).join('')
      + '</ListMultipartUploadsResult>';
    return;
  }
  await next();
}

const server = new S3rver({ port: Number(port), address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
server.middleware.unshift(multipartExtensions);
// s3rver removes the folders a delete leaves empty. A write into such a folder at that moment (several console instances'
// readiness probes write and delete in one) then fails with ENOENT in a stream nobody listens to, which ends the whole
// server. S3 has no folders and listings are made from objects only, so deletes here leave the folders in place.
server.store.deleteObject = async (name, key) => {
  await Promise.all(['object', 'object.md5', 'metadata.json'].map(type =>
    fs.promises.unlink(server.store.getResourcePath(name, key, type)).catch(error => {
      if (error.code !== 'ENOENT') throw error;
    })));
};
server.run().then(() => console.log('ready'), error => {
  console.error(error);
  process.exit(1);
});
