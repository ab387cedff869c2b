#!/usr/bin/env python3
"""One request through the whole support flow, with the Python standard library only.

Registers and signs in a requester, files a request, prints the ticket's live events (Server-Sent
Events), answers the workflow's question, approves as an approver and prints the outcome.

    API_URL=http://localhost:8000 ADMIN_EMAIL=... ADMIN_PASSWORD=... python3 examples/python/support_flow.py

The approver comes from APPROVER_EMAIL/APPROVER_PASSWORD, else ADMIN_EMAIL/ADMIN_PASSWORD.
Exits 0 when the ticket ends resolved, denied or escalated; 1 on an error or after 60 s; 2 without an approver.
"""
import json
import os
import queue
import random
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

API_URL = os.environ.get("API_URL", "http://localhost:8000").rstrip("/")
TIMEOUT_SECONDS = 60
FINAL = {"resolved", "denied", "escalated"}


class FlowError(Exception):
    pass


def call(method, path, token=None, body=None, step=""):
    """Sends a JSON request and returns the decoded JSON answer; raises FlowError with the server's detail."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(API_URL + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read().decode()).get("detail")
        except ValueError:
            detail = error.reason
        raise FlowError(f"{step or method + ' ' + path} failed: HTTP {error.code} {detail}") from None
    except urllib.error.URLError as error:
        raise FlowError(f"No server at {API_URL} ({error.reason}); set API_URL") from None
    except TimeoutError:
        raise FlowError(f"{step or method + ' ' + path} failed: no answer within 30 s") from None
    except OSError as error:  # e.g. the connection dropped mid-answer
        raise FlowError(f"{step or method + ' ' + path} failed: {error}") from None


def sign_in(email, password, who):
    tokens = call("POST", "/api/v1/auth/login", body={"email": email, "password": password}, step=f"Signing in as {who} ({email})")
    return tokens["access_token"]


def stream_events(ticket_id, token, events, stop):
    """Reads the ticket's event stream into `events` (a queue) until `stop` is set.

    Starts from the ticket's first event (Last-Event-ID: 0), so nothing that happened before the stream
    opened is missed, and resumes from the last id received if the connection drops.
    """
    last_event_id = "0"
    failures = 0
    while not stop.is_set():
        request = urllib.request.Request(
            f"{API_URL}/api/v1/events/{ticket_id}",
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream", "Last-Event-ID": last_event_id},
        )
        try:
            # Longer than the server's 30 s keepalive, so a silent connection means a dead one.
            with urllib.request.urlopen(request, timeout=45) as response:
                failures = 0
                data_lines = []
                for raw in response:
                    if stop.is_set():
                        return
                    line = raw.decode().rstrip("\r\n")
                    if line == "":  # a blank line ends one message
                        if data_lines:
                            events.put(json.loads("\n".join(data_lines)))
                        data_lines = []
                    elif line.startswith("id:"):
                        last_event_id = line[3:].strip()
                    elif line.startswith("data:"):
                        data_lines.append(line[5:].removeprefix(" "))
        except urllib.error.HTTPError as error:
            events.put({"type": "stream_failed", "detail": f"HTTP {error.code} {error.reason}"})
            return
        except OSError as error:
            failures += 1
            if failures >= 3 or stop.is_set():
                events.put({"type": "stream_failed", "detail": str(error)})
                return
        if not stop.is_set():
            print(f"  (stream closed; reconnecting after event {last_event_id})")
            time.sleep(1)


def print_event(event):
    clock = (event.get("timestamp") or "")[11:19]
    kind = event.get("type")
    if kind == "workflow_update":
        plan = f' plan="{event["plan_summary"]}"' if event.get("plan_summary") else ""
        print(f"{clock} workflow_update status={event.get('status')} decision={event.get('decision')} "
              f"next_action={event.get('next_action')}{plan}", flush=True)
    elif kind in ("connected", "keepalive"):
        print(f"{clock} {kind}", flush=True)
    else:
        fields = {k: v for k, v in event.items() if k not in ("type", "ticket_id", "timestamp")}
        print(f"{clock} {kind} {json.dumps(fields)}", flush=True)


def run(deadline):
    approver_email = os.environ.get("APPROVER_EMAIL") or os.environ.get("ADMIN_EMAIL")
    approver_password = os.environ.get("APPROVER_PASSWORD") or os.environ.get("ADMIN_PASSWORD")
    if not approver_email or not approver_password:
        print("Approving the request needs an approver (support or admin): set APPROVER_EMAIL and "
              "APPROVER_PASSWORD (or ADMIN_EMAIL and ADMIN_PASSWORD, as given to the server).", file=sys.stderr)
        return 2
    print(f"API: {API_URL}")

    suffix = format(int(time.time() * 1000), "x") + "".join(random.choices(string.ascii_lowercase, k=4))
    requester = {
        "email": f"requester-{suffix}@example.com",
        "password": f"Example-Flow-{suffix}-1",
        "full_name": "Example Requester",
        "employee_id": f"EMP-{suffix}",
    }
    call("POST", "/api/v1/auth/register", body=requester, step="Registering the requester")
    requester_token = sign_in(requester["email"], requester["password"], "the requester")
    approver_token = sign_in(approver_email, approver_password, "the approver")
    print(f"Registered and signed in {requester['email']} ({requester['employee_id']}); approver: {approver_email}")

    created = call("POST", "/api/v1/request", requester_token, step="Filing the request", body={
        "title": "Need admin access to the customer database",
        "description": "Need admin access to the customer database to run the quarterly data review.",
        "request_type": "software_access",
        "priority": "high",
        "urgency": "urgent",
        "business_justification": "Required for quarterly review",
        "desired_completion_date": (datetime.now(timezone.utc) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    ticket_id = created["ticket_id"]
    print(f"Filed ticket {ticket_id}: status {created['status']}, next action {created['next_action']}")

    events, stop = queue.Queue(), threading.Event()
    threading.Thread(target=stream_events, args=(ticket_id, requester_token, events, stop), daemon=True).start()
    try:
        previous_status = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                event = events.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError from None
            if event["type"] == "stream_failed":
                raise FlowError(f"The event stream failed: {event['detail']}")
            print_event(event)
            status = event.get("status")
            if event["type"] != "workflow_update" or not status or status == previous_status:
                continue
            previous_status = status
            if status == "waiting_for_user":
                try:
                    question = (call("GET", f"/api/v1/workflow/{ticket_id}", requester_token).get("pending") or {}).get("question")
                except FlowError:
                    question = None
                print(f"  ? The workflow asks: {question or '(question not available)'}")
                answer = "Read and write access to the customer database, for the quarterly review; my manager approved it."
                reply = call("POST", f"/api/v1/hil/{ticket_id}", requester_token, {"answer": answer}, step="Answering the question")
                print(f"  > Answered as the requester: {reply['status']}")
            elif status == "waiting_for_approval":
                approval = {"approval": True, "answer": "Approved", "comments": "Access granted for 30 days"}
                reply = call("POST", f"/api/v1/hil/{ticket_id}", approver_token, approval, step="Approving")
                print(f"  > Approved as {approver_email}: {reply['status']}")
            elif status in FINAL or status == "error":
                break
    finally:
        stop.set()

    outcome = call("GET", f"/api/v1/workflow/{ticket_id}", requester_token, step="Reading the outcome")
    rule = outcome.get("rule")
    print("\nOutcome")
    print(f"  status:       {outcome['status']}")
    print(f"  decision:     {outcome['decision']}")
    print(f"  plan_summary: {outcome.get('plan_summary') or '—'}")
    print(f"  rule:         {rule['id'] + ': ' + rule['description'] + ' → ' + rule['outcome'] if rule else '—'}")
    return 0 if outcome["status"] in FINAL else 1


def main():
    try:
        return run(time.monotonic() + TIMEOUT_SECONDS)
    except TimeoutError:
        print(f"Timed out: the ticket did not finish within {TIMEOUT_SECONDS} s", file=sys.stderr)
    except FlowError as error:
        print(error, file=sys.stderr)
    except KeyboardInterrupt:
        print("Interrupted", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
