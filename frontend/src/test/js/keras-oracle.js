// The Keras importer's oracle: TensorFlow.js itself (tfjs-layers on the pure JS CPU backend, the
// implementation nsfwjs runs) loads a model.json + shards and runs the inputs the Java test wrote.
// Usage: node keras-oracle.js job.json, the job being {"cases": [...]} with cases of two kinds:
//   {"model": "dir/model.json", "layers": [...], "input": "x.f32", "shape": [1,224,224,3],
//    "outputs": "dir/y"}  runs the model (read once per job) and writes dir/y0.f32, dir/y1.f32 ...:
//                        the given layers' results or, without "layers", the model's outputs
//   {"rgb": "img.u8", "height": h, "width": w, "size": 224, "preprocessed": "p.f32"}
//        nsfwjs's own preprocessing (toFloat, div 255, resizeBilinear with alignCorners)
// Tensors are raw little-endian float32 (uint8 for rgb), row-major. Prints a JSON summary.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');

function readFloats(file) {
  const buf = fs.readFileSync(file);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(4 * i);
  return out;
}

function writeFloats(file, values) {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i], 4 * i);
  fs.writeFileSync(file, buf);
}

// The model as tf.io.fromMemory wants it: every group's shards concatenated in manifest order.
function modelArtifacts(modelJson) {
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: data };
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  await tf.setBackend('cpu');
  const summary = { tfjs: tf.version_core, backend: tf.getBackend(), predictMillis: [], outputCounts: [] };
  const models = new Map();
  for (const c of job.cases) {
    if (c.rgb) {
      const pixels = new Uint8Array(fs.readFileSync(c.rgb));
      const out = tf.tidy(() => {
        const img = tf.tensor3d(pixels, [c.height, c.width, 3], 'int32');
        // nsfwjs writes img.toFloat().div(255); chained ops are not registered by tfjs-core alone
        const normalized = tf.div(tf.cast(img, 'float32'), tf.scalar(255));
        return tf.image.resizeBilinear(normalized, [c.size, c.size], true);
      });
      writeFloats(c.preprocessed, out.dataSync());
      out.dispose();
      continue;
    }
    const key = c.model + JSON.stringify(c.layers || []);
    if (!models.has(key)) {
      let model = await tfl.loadLayersModel(tf.io.fromMemory(modelArtifacts(c.model)));
      if (c.layers && c.layers.length > 0) {
        model = tfl.model({ inputs: model.inputs, outputs: c.layers.map((n) => model.getLayer(n).output) });
      }
      models.set(key, model);
    }
    const model = models.get(key);
    const x = tf.tensor(readFloats(c.input), c.shape, 'float32');
    const start = process.hrtime.bigint();
    let ys = model.predict(x);
    if (!Array.isArray(ys)) ys = [ys];
    const values = ys.map((y) => y.dataSync());
    summary.predictMillis.push(Number(process.hrtime.bigint() - start) / 1e6);
    values.forEach((v, i) => writeFloats(`${c.outputs}${i}.f32`, v));
    summary.outputCounts.push(values.length);
    x.dispose();
    ys.forEach((y) => y.dispose());
  }
  console.log(JSON.stringify(summary));
}

main().catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(1); });
