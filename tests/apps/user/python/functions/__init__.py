"""User functions of the `reminders` function-app component (examples/crud-and-functions).

function_app.py registers the `bp` Blueprint of every module in this package, in name order.
"""
