"""Web front end entry: `streamlit run streamlit_app.py`."""
