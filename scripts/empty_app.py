"""The benchmark's floor: the emptiest Streamlit page this machine can serve."""

import streamlit as st

st.write("ready")
