// Imported by every test file: fails the test page on any unhandled promise rejection or uncaught
// error, which the runner would otherwise show only as a browser log line.
const problems: string[] = [];
window.addEventListener('unhandledrejection', (event) => {
  problems.push(`unhandled rejection: ${event.reason?.stack ?? event.reason}`);
});
window.addEventListener('error', (event) => {
  problems.push(`uncaught error: ${event.error?.stack ?? event.message}`);
});
afterEach(() => {
  if (problems.length) throw new Error(problems.splice(0).join('\n'));
});
