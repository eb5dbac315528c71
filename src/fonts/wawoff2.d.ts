/** wawoff2 2.x ships no types: Google's WOFF2 codec compiled to wasm, CommonJS. */
declare module "wawoff2" {
  const wawoff2: {
    decompress(woff2: Uint8Array): Promise<Uint8Array>;
    compress(sfnt: Uint8Array): Promise<Uint8Array>;
  };
  export default wawoff2;
}
