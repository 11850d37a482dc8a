// Node flags of the API process. `npm start` and the benchmarks both take them from here, so
// the benchmarks measure the process users run.
//
// V8 lets the young generation grow to 16 MiB per semi-space, and once the start-up burst
// has grown it, it stays resident. The API's young objects die young (request plumbing),
// so a 1 MiB semi-space costs no measurable throughput (upload bench: 268–306 MiB/s against
// 259–273 at 2 MiB) and keeps the process about 35 MiB smaller at rest. It also scavenges
// more often, which frees socket read buffers sooner: an upload grows the process by
// about 18 MiB instead of about 31.
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
