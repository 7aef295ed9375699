/**
 * One shard of a `--threads N` run alone, in this thread (no workers, batches dropped): the
 * worker's own cost, to time or profile (`deno run --cpu-prof`).
 *
 *     deno run -A tasks/shard_alone.ts CAPTURE [SHARD] [SHARDS] [-s]
 *
 * @module
 */

import { SHARD_PLUGINS, SHARD_SINKS } from "../src/cli/shard_plugins.ts";
import { runShard } from "../src/core/shard/worker_run.ts";
import { PENDING } from "../src/core/shard/protocol.ts";

const [path, shardArg = "1", shardsArg = "2"] = Deno.args.filter((a) => a !== "-s");
const shards = Number(shardsArg);
const names = ["basicFlow", "basicStats", "tcpWin"];
const control = new SharedArrayBuffer(4 * (PENDING + shards));
const t0 = performance.now();
let batches = 0;
runShard(
  {
    shard: Number(shardArg),
    shards,
    path,
    plugins: names,
    lineSink: "txtSink",
    settings: [{ name: "SUBNET_ON", value: "0" }],
    hashFactor: 1,
    packetMode: Deno.args.includes("-s"),
    color: false,
    outputPrefix: "/tmp/shard-alone-",
    run: {
      commandLine: "t2",
      sensorId: 666,
      startWallTime: new Date(),
      version: "t2ts",
      input: path,
    },
    control,
  },
  names.map((n) => SHARD_PLUGINS.find((p) => p.name === n)!),
  SHARD_SINKS[0],
  () => null,
  (m) => {
    if (m.type === "fallback" || m.type === "error") console.error(m);
    // The merge is instant: nothing waits.
    Atomics.store(new Int32Array(control), PENDING + Number(shardArg), 0);
    batches++;
  },
);
console.log(
  `shard ${shardArg} of ${shards}: ${(performance.now() - t0).toFixed(0)} ms, ${batches} batches`,
);
