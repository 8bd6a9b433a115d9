type Jimp = typeof import('jimp');

let library: Promise<Jimp | undefined> | undefined;

/**
 * jimp (pure JavaScript) is a development dependency of the samples: the benchmarks have it, the
 * production image does not (the proxy never resizes images), so it is imported on first use only.
 */
function imageLibrary(): Promise<Jimp | undefined> {
  library ??= import('jimp').then(
    (module) => module,
    () => undefined,
  );
  return library;
}

export interface Thumbnail {
  readonly png: Buffer;
  /** Pixels of the image decoded and scaled down: the work done. */
  readonly inputPixels: number;
}

/**
 * The image (PNG, JPEG, BMP, GIF, TIFF) scaled to `width` pixels wide, as PNG; undefined when jimp is
 * not installed. Throws on data that is not an image.
 */
export async function resizeImage(data: Buffer, width: number): Promise<Thumbnail | undefined> {
  const jimp = await imageLibrary();
  if (jimp === undefined) return undefined;
  const image = await jimp.Jimp.read(data);
  const inputPixels = image.bitmap.width * image.bitmap.height;
  image.resize({ w: width });
  return { png: await image.getBuffer('image/png'), inputPixels };
}
