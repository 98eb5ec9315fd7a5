# The original Flask example that ssehub grew from: a page's clock ticking once a second over Server-Sent Events,
# one thread per client (Flask's development server, threaded), each client ticking on its own timer.
# Run by the ssehub benchmark: it listens on 127.0.0.1 and a free port and prints "READY <port>".
import datetime
import sys
import time

from flask import Flask, Response
from werkzeug.serving import make_server

app = Flask(__name__)


@app.route('/stream')
def stream():
    def event_stream():
        while True:
            time.sleep(1)
            yield 'data: %s\n\n' % datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')
    return Response(event_stream(), mimetype='text/event-stream')


if __name__ == '__main__':
    # What app.run(threaded=True) does, on a free port the parent can be told about.
    server = make_server('127.0.0.1', 0, app, threaded=True)
    print('READY %d' % server.server_port, flush=True)
    server.serve_forever()
