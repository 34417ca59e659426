/**
 * Worker for async-load.test.ts: loads CRS once, sync or async (workerData.mode),
 * in a fresh isolate (own module instances, so no regex or automaton cache is
 * warm), while a 1 ms interval timer records the longest stretch the worker's
 * event loop went without running it. Stretches are measured in this thread's
 * CPU time, so time the machine gave to other processes does not count.
 * Posts { longestGap, longestGapWall, ticks, rules }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createWaf, createWafAsync } from '../../src/engine/index.ts';
import type { RuleSource } from '../../src/engine/api.ts';

const { mode, crs } = workerData as { mode: 'sync' | 'async'; crs: string };
const sources: RuleSource[] = [
  { file: `${crs}crs-setup.conf.example` },
  { text: 'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"', name: 'pl1.conf' },
  { file: `${crs}rules/*.conf` },
];
const cpuMs = (): number => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
let last = cpuMs();
let lastWall = performance.now();
let longestGap = 0;
let longestGapWall = 0;
let ticks = 0;
const tick = (): void => {
  const now = cpuMs();
  const nowWall = performance.now();
  longestGap = Math.max(longestGap, now - last);
  longestGapWall = Math.max(longestGapWall, nowWall - lastWall);
  last = now;
  lastWall = nowWall;
};
const timer = setInterval(() => {
  tick();
  ticks++;
}, 1);
const waf = mode === 'sync' ? createWaf(sources) : await createWafAsync(sources);
tick();
clearInterval(timer);
parentPort?.postMessage({ longestGap, longestGapWall, ticks, rules: waf.ruleCount });
