/**
 * A plain waiting page, so that `npm start` shows the line working in a browser before the
 * React pages arrive: join, position, estimate and range, live over the event stream (read
 * with fetch, since EventSource cannot send the bearer token), kept across reloads.
 */
export function waitingPage(roomId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waiting room</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 2px 10px rgba(0,0,0,.07); }
  h1 { margin-top: 0; font-size: 1.5rem; }
  .big { font-size: 3rem; font-weight: 700; font-variant-numeric: tabular-nums; min-width: 6ch; display: inline-block; }
  .muted { color: #5b6475; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 0; background: #2456d3; color: #fff; cursor: pointer; }
  button.secondary { background: #e6e9ef; color: #1d2330; }
  progress { width: 100%; height: 10px; }
  .admitted { color: #137333; font-weight: 600; }
  code { word-break: break-all; font-size: .75rem; }
</style>
</head>
<body>
<main>
  <h1 id="name">Waiting room</h1>
  <p id="room" class="muted">Loading…</p>
  <section id="join" hidden><button id="joinBtn">Join the line</button></section>
  <section id="ticket" hidden>
    <div aria-live="polite">
      <p>Your place in line: <span class="big" id="position">–</span></p>
      <p>Estimated wait: <strong id="eta">–</strong> <span class="muted" id="range"></span></p>
    </div>
    <progress id="progress" max="100" value="0"></progress>
    <p id="state" class="muted"></p>
    <button class="secondary" id="leaveBtn">Leave the line</button>
  </section>
</main>
<script type="module">
const roomId = ${JSON.stringify(roomId)};
const key = 'waitroom:' + roomId;
const $ = (id) => document.getElementById(id);
let firstPosition = null;

const fmt = (s) => s == null ? '–' : s < 60 ? s + ' s' : Math.round(s / 60) + ' min';

async function loadRoom() {
  const res = await fetch('/api/rooms/' + roomId);
  if (!res.ok) { $('room').textContent = 'This room does not exist.'; return; }
  const room = await res.json();
  $('name').textContent = room.name;
  $('room').textContent = room.waiting + ' waiting · about ' + fmt(room.estimatedWaitSeconds) + ' for a new arrival · ' + room.status;
}

function show(status) {
  $('join').hidden = true;
  $('ticket').hidden = false;
  $('position').textContent = status.position ?? '–';
  $('eta').textContent = fmt(status.etaSeconds);
  $('range').textContent = status.etaRange ? '(' + fmt(status.etaRange[0]) + ' to ' + fmt(status.etaRange[1]) + ')' : '';
  if (status.position != null) {
    firstPosition = Math.max(firstPosition ?? status.position, status.position);
    $('progress').value = 100 * (1 - (status.position - 1) / firstPosition);
  }
  const s = $('state');
  s.className = status.state === 'admitted' ? 'admitted' : 'muted';
  if (status.state === 'admitted') {
    $('progress').value = 100;
    s.innerHTML = 'You are in! Your admission is valid until ' + new Date(status.admissionExpiresAt).toLocaleTimeString() +
      '.<br><code>' + status.admissionToken.slice(0, 40) + '…</code>';
  } else if (status.state === 'waiting') {
    s.textContent = status.roomStatus === 'open' ? 'Keep this page open: it updates by itself.' : 'The room is ' + status.roomStatus + '.';
  } else {
    s.textContent = 'This ticket is ' + status.state + '.';
    localStorage.removeItem(key);
  }
}

async function follow(token) {
  for (;;) {
    try {
      const res = await fetch('/api/rooms/' + roomId + '/tickets/me/events', { headers: { authorization: 'Bearer ' + token } });
      if (res.status === 401 || res.status === 404) { localStorage.removeItem(key); $('join').hidden = false; $('ticket').hidden = true; return; }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const event = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          const data = event.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
          if (data) { const status = JSON.parse(data); show(status); if (!['waiting', 'admitted'].includes(status.state)) return; }
        }
      }
    } catch {}
    // The stream dropped: poll once, then reconnect.
    await new Promise((r) => setTimeout(r, 2000));
  }
}

$('joinBtn').onclick = async () => {
  const res = await fetch('/api/rooms/' + roomId + '/tickets', { method: 'POST' });
  const body = await res.json();
  if (!res.ok) { $('room').textContent = body.error.message; return; }
  localStorage.setItem(key, body.queueToken);
  show(body);
  follow(body.queueToken);
};
$('leaveBtn').onclick = async () => {
  const token = localStorage.getItem(key);
  if (token) await fetch('/api/rooms/' + roomId + '/tickets/me', { method: 'DELETE', headers: { authorization: 'Bearer ' + token } });
  localStorage.removeItem(key);
  $('ticket').hidden = true; $('join').hidden = false; loadRoom();
};

await loadRoom();
const saved = localStorage.getItem(key);
if (saved) { $('ticket').hidden = false; follow(saved); } else { $('join').hidden = false; }
setInterval(loadRoom, 5000);
</script>
</body>
</html>`;
}
