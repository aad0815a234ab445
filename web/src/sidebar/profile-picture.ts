// A picture a person chooses for themselves, made small enough to be their avatar: drawn square (the middle of the
// image) at 96 pixels or less, as WebP or JPEG, and kept only if its data: URL fits the server's limit (16 KiB of
// text), so it is stored with the profile and needs no file of its own.
export const MAX_PICTURE_CHARS = 16 * 1024;
const SIDES = [96, 64, 48];
const QUALITIES = [0.85, 0.7, 0.5];

function drawSquare(image: ImageBitmap, side: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  const crop = Math.min(image.width, image.height);
  canvas
    .getContext('2d')!
    .drawImage(image, (image.width - crop) / 2, (image.height - crop) / 2, crop, crop, 0, 0, side, side);
  return canvas;
}

/** The picture as a data: URL within the limit; refuses (with a reason to show) what is not an image. */
export async function pictureAsDataUrl(file: File): Promise<string> {
  if (!file.type.startsWith('image/')) throw new Error('Choose an image (PNG, JPEG, WebP or GIF).');
  const image = await createImageBitmap(file).catch(() => {
    throw new Error('This image could not be read.');
  });
  for (const side of SIDES) {
    const canvas = drawSquare(image, side);
    for (const quality of QUALITIES) {
      const webp = canvas.toDataURL('image/webp', quality);
      // A browser without WebP encoding answers PNG instead: JPEG is then smaller.
      const url = webp.startsWith('data:image/webp') ? webp : canvas.toDataURL('image/jpeg', quality);
      if (url.length <= MAX_PICTURE_CHARS) return url;
    }
  }
  throw new Error('This image could not be made small enough for a picture.');
}
