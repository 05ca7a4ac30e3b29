"""Test and benchmark infrastructure: run the app on loopback, talk Streamlit's websocket protocol,
run replicas behind nginx, run a private redis-server."""
