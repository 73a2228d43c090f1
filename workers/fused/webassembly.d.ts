// The subset of the WebAssembly JavaScript API that the fused engine uses. Node provides
// the global, but this project's TypeScript libraries (ES2023 without DOM) do not declare it.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
