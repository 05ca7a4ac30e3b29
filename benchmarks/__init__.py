"""Benchmarks: a Streamlit websocket client, a baseline app and the benchmark runner."""
