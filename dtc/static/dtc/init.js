// Start the GOV.UK and MoJ components on the page (no inline script, so the
// Content-Security-Policy stays strict).
import { initAll } from '../govuk/govuk-frontend.min.js'
import { initAll as initMoj } from '../moj/moj-frontend.min.js'

initAll()
initMoj()
document.body.addEventListener('htmx:afterSwap', (event) => {
  initAll({ scope: event.target })
  initMoj({ scope: event.target })
})
