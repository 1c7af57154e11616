"""The sub-project register: table model, filter bar and the view that joins them."""
