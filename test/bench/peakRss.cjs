// Preloaded (`node --require`) into a process the bench measures: its peak RSS on exit.
process.on('exit', () => process.stderr.write(`\nksi-bench-peak-rss-kb=${process.resourceUsage().maxRSS}\n`));
