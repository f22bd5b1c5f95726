// The hall's display: fetch the latest calls every few seconds and put them in place, so the
// screen follows the counters without a reload. Without JavaScript the page refreshes itself.
const region = document.querySelector("[data-display-url]");
if (region) {
  const refresh = document.querySelector("meta[http-equiv=refresh]");
  if (refresh) refresh.remove();
  const every = Number(region.dataset.displayEvery || 3) * 1000;
  const update = async () => {
    try {
      const response = await fetch(region.dataset.displayUrl, { cache: "no-store" });
      if (response.ok) {
        const html = await response.text();
        if (html !== region.innerHTML) region.innerHTML = html;
      }
    } catch (error) {
      // The network is down for a moment: keep showing the last calls and try again.
    }
    setTimeout(update, every);
  };
  setTimeout(update, every);
}
