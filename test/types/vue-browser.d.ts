// Vue's self-contained browser build (runtime compiler included), which the Vue test imports directly:
// the package's own entry expects a bundler. Its API is the package's.
declare module 'vue/dist/vue.esm-browser.js' {
  export * from 'vue';
}
