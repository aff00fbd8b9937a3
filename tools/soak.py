#!/usr/bin/env python3
"""Soak test of a real `heygem serve` (not part of the suite; figures go to docs/reliability.md).

Random submit / cancel / retry / delete for --minutes, restarting the server now and then with
SIGTERM or SIGKILL, and filling the data directory's disk below its reserve (and to the last
byte) and freeing it again --fills times. At the end, with the disk freed and the queue drained:
every acknowledged batch that was not deleted is present, every SUCCEEDED item's file is a whole
video, no partial file is left, no item is stuck. Needs root (it mounts a tmpfs for the data).

    sudo tools/soak.py --minutes 120 --fills 2
"""
import argparse, json, os, random, signal, subprocess, sys, time, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEDIA = os.path.join(ROOT, '..', 'shared', 'media')
JAR = os.environ.get('HEYGEM_JAR', os.path.join(ROOT, 'app', 'target', 'heygem.jar'))


def log(*a):
    print(time.strftime('%H:%M:%S'), *a, flush=True)


class Server:
    def __init__(self, data, port, reserve):
        self.data, self.port, self.reserve, self.proc = data, port, reserve, None
        # Beside the tmpfs, not on it: the log must outlive the unmount at the end.
        self.out = open(os.path.join(os.path.dirname(os.path.dirname(data)), 'server.out'), 'ab')

    def start(self):
        env = dict(os.environ, HEYGEM_STORAGE_RESERVE_BYTES=self.reserve, HEYGEM_WORKER_STOP_GRACE_SECONDS='5')
        self.proc = subprocess.Popen(['java', '-Xmx2g', '-jar', JAR, 'serve', '--port', str(self.port), '--bind',
                                      '127.0.0.1', '--data-dir', self.data], stdout=self.out, stderr=self.out, env=env)
        for _ in range(120):
            try:
                if self.call('GET', '/api/v1/health')[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit('server did not start')

    def stop(self, sig):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=120)
        return code

    def token(self):
        with open(os.path.join(self.data, 'token')) as f:
            return f.read().strip()

    def call(self, method, path, body=None, headers=None, raw=None, ctype='application/json'):
        h = {'Authorization': 'Bearer ' + self.token()} if os.path.exists(os.path.join(self.data, 'token')) else {}
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h['Content-Type'] = ctype
        req = urllib.request.Request('http://127.0.0.1:%d%s' % (self.port, path), data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b'null')
        except urllib.error.HTTPError as e:
            raw_body = e.read() or b'null'
            code = e.code
            if code == 503 and not e.headers.get('Retry-After'):
                code = 500  # a passing condition must say when to ask again; counted as an error
            if code >= 500 and code != 507:
                log('HTTP', e.code, method, path, raw_body[:300])
            try:
                return code, json.loads(raw_body)
            except ValueError:
                return code, None

    def upload(self, path):
        b = '----soak' + uuid.uuid4().hex
        with open(path, 'rb') as f:
            content = f.read()
        raw = ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
               'Content-Type: application/octet-stream\r\n\r\n' % (b, os.path.basename(path))).encode() + content + \
              ('\r\n--%s--\r\n' % b).encode()
        return self.call('POST', '/api/v1/assets', raw=raw, ctype='multipart/form-data; boundary=' + b)


def fill(disk, leave):
    path = os.path.join(disk, 'filler-%d' % time.time_ns())
    st = os.statvfs(disk)
    size = max(0, st.f_bavail * st.f_frsize - leave)
    with open(path, 'wb') as f:
        try:
            while size > 0:
                n = min(size, 1 << 20)
                f.write(b'\0' * n)
                size -= n
            f.flush()
        except OSError:
            pass
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=120)
    ap.add_argument('--fills', type=int, default=2)
    ap.add_argument('--disk-mb', type=int, default=600)
    ap.add_argument('--work', default='/tmp/heygem-soak')
    ap.add_argument('--port', type=int, default=7899)
    # Longer speeches keep renders running long enough for cancels and retries to land on them.
    ap.add_argument('--speeches', default='en_short_5s.mp3,zh_poem_5s.wav',
                    help='comma-separated files in shared/media/audio')
    a = ap.parse_args()
    disk = os.path.join(a.work, 'disk')
    os.makedirs(disk, exist_ok=True)
    subprocess.run(['umount', '-l', disk], stderr=subprocess.DEVNULL)
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=%dm' % a.disk_mb, 'tmpfs', disk], check=True)
    data = os.path.join(disk, 'data')
    os.makedirs(data)
    server = Server(data, a.port, '64M')
    server.start()
    audio = [server.upload(os.path.join(MEDIA, 'audio', n))[1]['id'] for n in a.speeches.split(',')]
    templates = [server.upload(os.path.join(MEDIA, 'templates', n))[1]['id']
                 for n in ('woman_may_512.mp4', 'obama_256_silent.mp4')]
    acknowledged, deleted = set(), set()
    figures = dict(submitted=0, refused507=0, cancels=0, cancels_running=0, retries=0, deletes=0, sigterm=0, sigkill=0, fills=0,
                   errors500=0, retry_later=0, sigterm_exit_nonzero=0)
    end = time.time() + a.minutes * 60
    fill_times = [time.time() + (k + 1) * a.minutes * 60 / (a.fills + 1) for k in range(a.fills)]
    filler, freed_at, next_restart = None, 0, time.time() + random.uniform(120, 300)
    while time.time() < end:
        now = time.time()
        if filler is None and fill_times and now >= fill_times[0]:
            fill_times.pop(0)
            figures['fills'] += 1
            # Half the fills stop just under the reserve, half go to the last byte.
            filler = fill(disk, 16 << 20 if figures['fills'] % 2 else 0)
            freed_at = now + 90
            log('disk filled', figures['fills'])
        if filler is not None and now >= freed_at:
            os.remove(filler)
            filler = None
            log('disk freed')
        if now >= next_restart:
            sig = random.choice([signal.SIGTERM, signal.SIGKILL])
            code = server.stop(sig)
            figures['sigterm' if sig == signal.SIGTERM else 'sigkill'] += 1
            if sig == signal.SIGTERM and code != 0:
                figures['sigterm_exit_nonzero'] += 1
            log('restart after', sig.name, 'exit', code)
            server.start()
            next_restart = time.time() + random.uniform(120, 300)
        action = random.choices(['submit', 'cancel', 'retry', 'delete', 'look'], [2, 2, 2, 1, 3])[0]
        try:
            if action == 'submit':
                body = {'audioId': random.choice(audio),
                        'templateIds': [random.choice(templates) for _ in range(random.randint(1, 2))]}
                key = uuid.uuid4().hex
                code, b = server.call('POST', '/api/v1/batches', body, {'Idempotency-Key': key})
                if code == 201:
                    acknowledged.add(b['id'])
                    figures['submitted'] += 1
                    if random.random() < 0.2:  # a client retry of the same request
                        code2, b2 = server.call('POST', '/api/v1/batches', body, {'Idempotency-Key': key})
                        assert code2 == 201 and b2['id'] == b['id'], (code2, b2)
                elif code == 507:
                    figures['refused507'] += 1
                elif code == 503:
                    figures['retry_later'] += 1
                elif code >= 500:
                    figures['errors500'] += 1
                    log('500 on submit', b)
            else:
                live = list(acknowledged - deleted)
                if not live:
                    continue
                bid = random.choice(live)
                code, b = server.call('GET', '/api/v1/batches/' + bid)
                if code != 200:
                    if code == 503:
                        figures['retry_later'] += 1  # told to ask again (Retry-After): a passing condition
                    elif code >= 500 and code != 507:
                        figures['errors500'] += 1
                    continue
                items = b['items']
                if action == 'cancel':
                    run = [i for i in items if i['state'] in ('QUEUED', 'RUNNING')]
                    if run:
                        pick = random.choice(run)
                        c, _ = server.call('POST', '/api/v1/items/%s/cancel' % pick['id'], raw=b'')
                        figures['cancels'] += c == 200
                        figures['cancels_running'] += c == 200 and pick['state'] == 'RUNNING'
                elif action == 'retry':
                    back = [i for i in items if i['state'] in ('FAILED', 'CANCELED')]
                    if back:
                        c, _ = server.call('POST', '/api/v1/items/%s/retry' % random.choice(back)['id'], raw=b'')
                        figures['retries'] += c == 200
                elif action == 'delete' and random.random() < 0.3:
                    c, _ = server.call('DELETE', '/api/v1/batches/' + bid)
                    if c == 200:
                        deleted.add(bid)
                        figures['deletes'] += 1
        except (OSError, urllib.error.URLError) as e:
            log('request failed', action, e)
        time.sleep(random.uniform(2, 6))
    if filler:
        os.remove(filler)
    # Drain: no cancel any more; wait until nothing is queued or running.
    log('draining')
    deadline = time.time() + 3600
    pending = None
    while time.time() < deadline:
        pending = 0
        for bid in acknowledged - deleted:
            code, b = server.call('GET', '/api/v1/batches/' + bid)
            pending += sum(1 for i in b['items'] if i['state'] in ('QUEUED', 'RUNNING')) if code == 200 else 0
        if pending == 0:
            break
        time.sleep(10)
    missing, bad_files, succeeded, failed = [], [], 0, {}
    for bid in acknowledged - deleted:
        code, b = server.call('GET', '/api/v1/batches/' + bid)
        if code != 200:
            missing.append(bid)
            continue
        done = [i for i in b['items'] if i['state'] == 'SUCCEEDED']
        succeeded += len(done)
        for i in b['items']:
            if i['state'] == 'FAILED':
                failed[i['error']['code']] = failed.get(i['error']['code'], 0) + 1
        if done:
            path = os.path.join(data, 'outputs', bid)
            files = sorted(os.listdir(path)) if os.path.isdir(path) else []
            probe = subprocess.run(['java', '-jar', JAR, 'probe', '--json'] + [os.path.join(path, f) for f in files],
                                   capture_output=True, text=True)
            if probe.returncode != 0 or len(files) != len(done):
                bad_files.append(bid)
                log('bad results in', bid, files, probe.stderr[-300:])
    partial = [os.path.join(r, f) for r, _, fs in os.walk(os.path.join(data, 'outputs')) for f in fs
               if f.endswith('.partial')]
    code = server.stop(signal.SIGTERM)
    result = dict(figures, acknowledged=len(acknowledged), deleted=len(deleted), missing=len(missing),
                  stuck=pending, succeeded_items=succeeded, failed_items=failed, bad_result_files=len(bad_files),
                  partial_files=len(partial), last_stop_exit=code, minutes=a.minutes)
    print(json.dumps(result, indent=1))
    subprocess.run(['umount', '-l', disk])
    ok = not missing and not bad_files and not partial and pending == 0 and figures['errors500'] == 0
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
