export function App() {
  return <main class="frame"><h1>OpenSSPR admin</h1></main>;
}
