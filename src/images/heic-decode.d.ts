/** heic-decode 2.x ships no types: libheif compiled to WebAssembly (libheif-js), CommonJS. */
declare module "heic-decode" {
  interface DecodedImage {
    width: number;
    height: number;
    /** RGBA, 8 bits per channel, rows top to bottom. */
    data: Uint8ClampedArray;
  }
  function decode(input: { buffer: Uint8Array }): Promise<DecodedImage>;
  export default decode;
}
