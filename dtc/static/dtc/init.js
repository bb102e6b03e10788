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

// A form's one-time token (dtc.form_tokens) comes back with the form on Back. The page is
// fetched again (private pages are never cached) with a new token, and the browser puts
// back what was typed but not the hidden token: so the token a form was sent with is kept
// for the tab, and put back when the page is reached by Back or Forward. Submitted again,
// the form is then known for what it is: already saved.
const tokens = [...document.querySelectorAll('input[name="form_token"]')]
const tokenKey = (index) => `dtc-form-token:${location.pathname}:${index}`
const navigation = performance.getEntriesByType('navigation')[0]
if (navigation && navigation.type === 'back_forward') {
  tokens.forEach((token, index) => {
    const sent = sessionStorage.getItem(tokenKey(index))
    if (sent) token.value = sent
  })
}
document.addEventListener('submit', (event) => {
  const index = tokens.findIndex((token) => token.form === event.target)
  if (index >= 0) sessionStorage.setItem(tokenKey(index), tokens[index].value)
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
