import { randomBytes } from 'node:crypto';
import type { RouteFactory } from '../../platform/http/routes.js';

const PAGE_PATH = /^\/public\/surveys\/([A-Za-z0-9_-]{22,128})\/?$/;

/**
 * The page a resident opens from a survey link. It is static: its script reads the token from the
 * address, loads the questions from /public/graphql and posts the answers there, so the page itself
 * touches no data. Every text from the survey is set with textContent, never parsed as HTML; the
 * strict content-security policy allows only this page's own script and style, and no-referrer
 * keeps the link's token out of other sites' logs.
 */
export const surveyPageRoutes: RouteFactory = async () => ({
  routes: [
    {
      match: (method, pathname) => (method === 'GET' && PAGE_PATH.test(pathname) ? {} : null),
      async handle({ res }) {
        const nonce = randomBytes(16).toString('base64');
        res.statusCode = 200;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader(
          'content-security-policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        );
        res.setHeader('referrer-policy', 'no-referrer');
        res.setHeader('cache-control', 'no-store');
        res.end(page(nonce));
      },
    },
  ],
});

function page(nonce: string): string {
  return `<!doctype html>
<html lang="pl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ankieta</title>
<style nonce="${nonce}">
  body { font: 18px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: 1rem; }
  legend { font-weight: 600; padding: 0 .25rem; }
  label { display: block; margin: .25rem 0; }
  textarea { width: 100%; min-height: 6rem; font: inherit; }
  button { font: inherit; padding: .5rem 1.5rem; }
  .note { color: #555; font-size: .9rem; }
  .error { color: #a00000; }
</style>
</head>
<body>
<main>
  <h1 id="title">Ankieta</h1>
  <p id="description"></p>
  <p class="note">Ankieta jest anonimowa: nie zapisujemy Twojego imienia, konta, adresu IP ani godziny wypełnienia.</p>
  <form id="form" hidden></form>
  <p id="message" role="status"></p>
</main>
<script nonce="${nonce}">
(() => {
  const token = location.pathname.split('/').filter(Boolean).pop();
  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, children = []) => { const n = Object.assign(document.createElement(tag), props); n.append(...children); return n; };
  const say = (text, error) => { $('message').textContent = text; $('message').className = error ? 'error' : ''; };
  const ask = (query, variables) => fetch('/public/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

  function question(q, i) {
    const box = el('fieldset', {}, [el('legend', { textContent: (i + 1) + '. ' + q.text + (q.required ? ' *' : '') })]);
    const name = 'q' + i;
    if (q.kind === 'SINGLE_CHOICE' || q.kind === 'MULTIPLE_CHOICE') {
      q.options.forEach((option, k) => box.append(el('label', {}, [
        el('input', { type: q.kind === 'SINGLE_CHOICE' ? 'radio' : 'checkbox', name, value: String(k) }), ' ' + option])));
    } else if (q.kind === 'SCALE') {
      for (let v = q.scaleMin; v <= q.scaleMax; v++) box.append(el('label', {}, [el('input', { type: 'radio', name, value: String(v) }), ' ' + v]));
    } else {
      box.append(el('textarea', { name, maxLength: 2000 }));
    }
    return box;
  }

  function answers(survey, form) {
    return survey.questions.flatMap((q, i) => {
      const name = 'q' + i;
      if (q.kind === 'FREE_TEXT') {
        const text = form.elements[name].value.trim();
        return text ? [{ questionId: q.id, text }] : [];
      }
      const picked = [...form.querySelectorAll('input[name="' + name + '"]:checked')].map((input) => Number(input.value));
      if (picked.length === 0) return [];
      return [q.kind === 'SCALE' ? { questionId: q.id, scale: picked[0] } : { questionId: q.id, choices: picked }];
    });
  }

  ask('query($token: String!) { survey(token: $token) { title description acceptsResponses questions { id kind text options scaleMin scaleMax required } } }', { token })
    .then(({ body }) => {
      const survey = body.data && body.data.survey;
      if (!survey) return say('Ta ankieta nie istnieje albo jest już zamknięta.', true);
      document.title = survey.title;
      $('title').textContent = survey.title;
      $('description').textContent = survey.description || '';
      if (!survey.acceptsResponses) return say('Ta ankieta nie przyjmuje teraz odpowiedzi.', true);
      const form = $('form');
      form.append(...survey.questions.map(question), el('button', { type: 'submit', textContent: 'Wyślij odpowiedzi' }));
      form.hidden = false;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        ask('mutation($input: SurveyRespondInput!) { surveyRespond(input: $input) { accepted userErrors { message } } }',
          { input: { token, answers: answers(survey, form) } })
          .then(({ status, body }) => {
            if (status === 429) return say('Z tego miejsca wysłano już wiele odpowiedzi. Spróbuj ponownie później.', true);
            const result = body.data && body.data.surveyRespond;
            if (!result) return say('Nie udało się wysłać odpowiedzi. Spróbuj ponownie.', true);
            if (!result.accepted) return say(result.userErrors.map((e) => e.message).join(' '), true);
            form.hidden = true;
            say('Dziękujemy! Odpowiedzi zostały zapisane.');
          })
          .catch(() => say('Nie udało się połączyć z serwerem. Spróbuj ponownie.', true));
      });
    })
    .catch(() => say('Nie udało się wczytać ankiety.', true));
})();
</script>
</body>
</html>`;
}
