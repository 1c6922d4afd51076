import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageRoot } from '../config/data-map.js';
import type { FileStore, Located } from './file-store.js';

type S3Root = Extract<StorageRoot, { kind: 's3' }>;

/**
 * Objects in an S3-compatible bucket, under the root's prefix. A value is a key of the bucket
 * (`attachments/42.png`) or an `s3://bucket/key` URL; another bucket, a key outside the prefix,
 * a `.` or `..` segment, or any other URL is refused. The SDK is loaded on first use only.
 */
export function s3Store(root: S3Root): FileStore {
  let client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;
  const connect = () =>
    (client ??= (async () => {
      // The SDK warns on stderr about Node versions it will stop supporting; not lethe's users' concern.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const sdk = await import('@aws-sdk/client-s3');
      const s3 = new sdk.S3Client({
        region: root.region,
        forcePathStyle: root.forcePathStyle,
        ...(root.endpoint ? { endpoint: root.endpoint } : {}),
        ...(root.credentials ? { credentials: root.credentials } : {}),
        // Checksums only where S3 requires them: S3-compatible servers may not know the newer ones.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { s3, sdk };
    })());
  return {
    root,
    locate(value: string): Located {
      let key = value.trim();
      if (/^s3:\/\//i.test(key)) {
        const rest = key.slice(5);
        const slash = rest.indexOf('/');
        const bucket = slash < 0 ? rest : rest.slice(0, slash);
        if (bucket !== root.bucket) return { refused: `in another bucket than ${root.name}'s` };
        key = slash < 0 ? '' : rest.slice(slash + 1);
      } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key)) {
        return { refused: `a URL, not a key of the storage root ${root.name}` };
      }
      if (key === '' || key.startsWith('/') || key.includes('\0')) return { refused: 'not a key' };
      if (key.split('/').some((segment) => segment === '..' || segment === '.')) return { refused: `outside the storage root ${root.name}` };
      if (!key.startsWith(root.prefix) || key === root.prefix) return { refused: `outside the storage root ${root.name}` };
      return { location: key };
    },
    async size(location) {
      const { s3, sdk } = await connect();
      try {
        const head = await s3.send(new sdk.HeadObjectCommand({ Bucket: root.bucket, Key: location }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async remove(location) {
      const { s3, sdk } = await connect();
      // DeleteObject succeeds on a key that is not there: gone either way.
      await s3.send(new sdk.DeleteObjectCommand({ Bucket: root.bucket, Key: location }));
      return 'deleted';
    },
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
