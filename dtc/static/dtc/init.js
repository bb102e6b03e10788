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

// A form is sent once: a second press of its button while the first submission is on its
// way is ignored, and the button is disabled (GOV.UK's data-prevent-double-click only
// ignores presses within a second). It is disabled after the event, so the pressed
// button's name and value are still sent. Only forms that save a record (those with a
// one-time token, dtc.form_tokens): a search or a download may be sent again.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (!form.querySelector('input[name="form_token"]')) return
  if (form.dataset.dtcSubmitted) {
    event.preventDefault()
    return
  }
  form.dataset.dtcSubmitted = 'true'
  const button = event.submitter
  if (button && button.name !== 'change') {
    setTimeout(() => { button.disabled = true; button.setAttribute('aria-disabled', 'true') }, 0)
  }
})
// A page restored by Back from the browser's memory is usable again.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return
  for (const form of document.querySelectorAll('form[data-dtc-submitted]')) {
    delete form.dataset.dtcSubmitted
    for (const button of form.querySelectorAll('button[aria-disabled="true"]')) {
      button.disabled = false
      button.removeAttribute('aria-disabled')
    }
  }
})
